#!/usr/bin/env python3
"""Plays episodes against `ludus serve-env` the way OpenEnv's EnvClient talks to an OpenEnv server.

Standard library plus `websockets` only (Debian: apt-get install python3-websockets). The client follows
openenv.core.env_client.EnvClient: the http(s) base URL becomes ws(s)://.../ws, one WebSocket per session,
{"type": "reset"|"step"|"state"|"close"} messages, replies {"type": "observation"|"state"|"error", "data": ...},
an error reply raised as RuntimeError("Server error: ... (code: ...)"), a per-message timeout, and
{"type": "close"} on disconnect. Nothing here trains; a policy of a few lines per environment family plays.

    python3 openenv_client.py http://127.0.0.1:8000 --episodes 3

Prints one JSON line per episode (steps, return, shaped return, the reward components seen) and exits 0 when
every episode reached done.
"""
import argparse
import asyncio
import json
import os
import re
import sys
import urllib.request

import websockets


class StepResult:
    def __init__(self, data):
        self.observation = data.get("observation", {})
        self.reward = data.get("reward")
        self.done = bool(data.get("done", False))


class EnvClient:
    """OpenEnv's EnvClient protocol, generic like its GenericEnvClient (observations stay dicts)."""

    def __init__(self, base_url, token=None, connect_timeout_s=10.0, message_timeout_s=60.0,
                 max_message_size_mb=100.0):
        ws_url = base_url.rstrip("/")
        if ws_url.startswith("http://"):
            ws_url = "ws://" + ws_url[len("http://"):]
        elif ws_url.startswith("https://"):
            ws_url = "wss://" + ws_url[len("https://"):]
        self.base_url = base_url.rstrip("/")
        self.ws_url = ws_url + "/ws"
        self.token = token
        self.connect_timeout_s = connect_timeout_s
        self.message_timeout_s = message_timeout_s
        self.max_size = int(max_message_size_mb * 1024 * 1024)
        self.ws = None

    async def connect(self):
        kwargs = {"max_size": self.max_size}
        if self.token:  # websockets 14 renamed extra_headers to additional_headers
            major = int(websockets.__version__.split(".")[0])
            kwargs["additional_headers" if major >= 14 else "extra_headers"] = {"Authorization": "Bearer " + self.token}
        self.ws = await asyncio.wait_for(websockets.connect(self.ws_url, **kwargs), self.connect_timeout_s)
        return self

    async def _send_and_receive(self, message):
        await self.ws.send(json.dumps(message))
        raw = await asyncio.wait_for(self.ws.recv(), self.message_timeout_s)
        response = json.loads(raw)
        if response.get("type") == "error":
            data = response.get("data", {})
            raise RuntimeError(f"Server error: {data.get('message', 'Unknown error')} "
                               f"(code: {data.get('code', 'UNKNOWN')})")
        return response

    async def reset(self, **kwargs):
        return StepResult((await self._send_and_receive({"type": "reset", "data": kwargs}))["data"])

    async def step(self, action):
        return StepResult((await self._send_and_receive({"type": "step", "data": action}))["data"])

    async def state(self):
        return (await self._send_and_receive({"type": "state"}))["data"]

    async def disconnect(self):
        if self.ws is not None:
            try:
                await self.ws.send(json.dumps({"type": "close"}))
            finally:
                await self.ws.close()
                self.ws = None

    def get_json(self, path):
        req = urllib.request.Request(self.base_url + path)
        if self.token:
            req.add_header("Authorization", "Bearer " + self.token)
        with urllib.request.urlopen(req, timeout=self.connect_timeout_s) as r:
            return json.loads(r.read().decode("utf-8"))


def texts(observation):
    return " ".join(m.get("content", "") for m in observation.get("messages", []))


class Policy:
    """A few lines per family; reads only what an agent sees (messages, tools), never the signals."""

    def __init__(self, env):
        self.env = env
        self.low, self.high = None, None
        self.turn = 0
        self.items = {}

    def start(self, observation):
        self.turn = 0
        text = texts(observation)
        m = re.search(r"between (-?\d+) and (-?\d+)", text)
        if m:
            self.low, self.high = int(m.group(1)), int(m.group(2))
        m = re.search(r"Items: ([^.]*)\.", text)
        if m:
            self.items = dict((k, int(v)) for k, v in re.findall(r"(\w+)=(\d+)", m.group(1)))

    def act(self, observation):
        self.turn += 1
        text = texts(observation)
        if self.env == "guess-number":
            if "Higher" in text:
                self.low = self.last + 1
            elif "Lower" in text:
                self.high = self.last - 1
            self.last = (self.low + self.high) // 2
            return {"message": f"<answer>{self.last}</answer>"}
        if observation.get("current_player_id") is not None:  # seats: deal-or-no-deal and the like
            seat = observation["current_player_id"]
            if "<choose>" in text or "talk is over" in text or self.turn > 1:
                take = self.items if seat == observation["seats"][0] else {k: 0 for k in self.items}
                choice = " ".join(f"{k}={v}" for k, v in take.items())
                return {"message": f"<choose>{choice}</choose>", "player_id": seat}
            return {"message": "<selection>", "player_id": seat}
        tools = observation.get("tools") or []
        if tools and self.turn == 1:
            name = tools[0]["function"]["name"]
            return {"content": "", "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": name, "arguments": "{}"}}]}
        if tools:
            return {"content": "Done."}
        return {"message": "I hear you. That sounds really hard; I am here with you. What would help most right now?"}


async def play(client, env, episode, check_errors):
    policy = Policy(env)
    result = await client.reset(seed=episode)
    policy.start(result.observation)
    if check_errors:  # a malformed action is refused and the session goes on
        try:
            await client.step({"not_a_field": 1})
            raise AssertionError("a malformed action was accepted")
        except RuntimeError as e:
            assert "VALIDATION_ERROR" in str(e), str(e)
    steps, ret, components = 0, 0.0, set()
    while not result.done and steps < 50:
        result = await client.step(policy.act(result.observation))
        steps += 1
        ret += result.reward or 0.0
        for c in result.observation.get("reward_components", []):
            components.add(c["source"] + ("" if c["source"] == c["component"] else "/" + c["component"]))
    state = await client.state()
    return {"env": env, "episode": episode, "done": result.done, "steps": steps, "step_count": state["step_count"],
            "return": ret, "shaped_return": result.observation.get("shaped_return"),
            "seat_shaped_returns": result.observation.get("seat_shaped_returns"),
            "components": sorted(components)}


async def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("url", help="the server's base URL, e.g. http://127.0.0.1:8000")
    ap.add_argument("--episodes", type=int, default=3)
    ap.add_argument("--token", default=os.environ.get("LUDUS_SERVE_TOKEN"))
    ap.add_argument("--check-errors", action="store_true", help="also send a malformed action each episode")
    args = ap.parse_args()
    client = EnvClient(args.url, token=args.token)
    assert client.get_json("/health") == {"status": "healthy"}
    env = client.get_json("/metadata")["name"]
    schema = client.get_json("/schema")
    assert set(schema) == {"action", "observation", "state"}, schema
    await client.connect()
    ok = True
    try:
        for e in range(args.episodes):
            line = await play(client, env, e, args.check_errors)
            ok = ok and line["done"]
            print(json.dumps(line), flush=True)
    finally:
        await client.disconnect()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
