"""Read a Ludus token export with nothing but the standard library and numpy.

``./ludus export RUN_DIR --format tokens`` writes ``RUN_DIR/export/tokens.jsonl``: one JSON object a line, one line
per trajectory segment (an episode is one segment when each turn's prompt continues the previous turn's prompt and
output token for token, several otherwise). Fields:

  trajectory_id, segment, last_segment   the episode id; the segment's index; whether it is the episode's last
  group_id, env, task_id                 episodes of one batch on one task share group_id (GRPO's group)
  policy_version                         the weights' version that sampled the segment's first turn
  prompt_ids                             the first turn's prompt, exactly as the policy saw it
  response_ids                           every later token: the agent's outputs and, between them, what the
                                         environment, simulated user and chat template added
  response_mask                          1 on the agent's tokens (train on these), 0 on the rest
  response_logprobs                      the behaviour policy's log-probability of each agent token (0 elsewhere)
  token_rewards                          each turn's reward on its last agent token (0 elsewhere)
  turn_rewards, first_turn, num_turns    the segment's per-turn rewards and which turns it holds
  reward, status, success                the episode's shaped return, how it ended, whether it succeeded

These are the fields of verl's AgentLoopOutput (prompt_ids, response_ids, response_mask, response_logprobs), SkyRL's
GeneratorOutput (per-token rewards) and TRL's rollout_func (env_mask = response_mask, logprobs).

    from ludus_tokens import read_tokens, pad_batch
    rows = list(read_tokens("runs/X/export/tokens.jsonl"))
    batch = pad_batch(rows)          # numpy arrays: prompts left-padded, responses right-padded
    batch["response_ids"].shape      # (rows, longest response)

``python3 ludus_tokens.py FILE`` prints a JSON summary of FILE (the test of the export runs it).
"""

import json
import sys

import numpy as np

_ARRAYS = {
    "prompt_ids": np.int32,
    "response_ids": np.int32,
    "response_mask": np.int8,
    "response_logprobs": np.float32,
    "token_rewards": np.float32,
}


def read_tokens(path):
    """Yields each row of a tokens.jsonl file as a dict whose token fields are numpy arrays (streamed)."""
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            for key, dtype in _ARRAYS.items():
                row[key] = np.asarray(row[key], dtype=dtype)
            n = len(row["response_ids"])
            for key in ("response_mask", "response_logprobs", "token_rewards"):
                if len(row[key]) != n:
                    raise ValueError(f"{path} line {number}: {key} has {len(row[key])} entries, response_ids {n}")
            yield row


def pad_batch(rows, pad_id=0):
    """Stacks rows into 2-D arrays: prompts left-padded and responses right-padded, with attention masks."""
    p = max(len(r["prompt_ids"]) for r in rows)
    t = max(len(r["response_ids"]) for r in rows)
    b = len(rows)
    out = {
        "prompt_ids": np.full((b, p), pad_id, dtype=np.int32),
        "prompt_attention": np.zeros((b, p), dtype=np.int8),
        "response_ids": np.full((b, t), pad_id, dtype=np.int32),
        "response_attention": np.zeros((b, t), dtype=np.int8),
        "response_mask": np.zeros((b, t), dtype=np.int8),
        "response_logprobs": np.zeros((b, t), dtype=np.float32),
        "token_rewards": np.zeros((b, t), dtype=np.float32),
    }
    for i, r in enumerate(rows):
        n = len(r["prompt_ids"])
        out["prompt_ids"][i, p - n:] = r["prompt_ids"]
        out["prompt_attention"][i, p - n:] = 1
        m = len(r["response_ids"])
        out["response_ids"][i, :m] = r["response_ids"]
        out["response_attention"][i, :m] = 1
        for key in ("response_mask", "response_logprobs", "token_rewards"):
            out[key][i, :m] = r[key]
    return out


def summary(path):
    """Counts and sums of a tokens.jsonl file, as a dict."""
    rows = list(read_tokens(path))
    batch = pad_batch(rows) if rows else None
    mask = batch["response_mask"].astype(bool) if rows else None
    return {
        "rows": len(rows),
        "trajectories": len({r["trajectory_id"] for r in rows}),
        "prompt_tokens": int(sum(len(r["prompt_ids"]) for r in rows)),
        "response_tokens": int(sum(len(r["response_ids"]) for r in rows)),
        "agent_tokens": int(batch["response_mask"].sum()) if rows else 0,
        "reward_sum": float(batch["token_rewards"].astype(np.float64).sum()) if rows else 0.0,
        "agent_logprob_sum": float(batch["response_logprobs"][mask].astype(np.float64).sum()) if rows else 0.0,
        "batch_shape": list(batch["response_ids"].shape) if rows else [0, 0],
    }


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 ludus_tokens.py RUN_DIR/export/tokens.jsonl")
    print(json.dumps(summary(sys.argv[1])))
