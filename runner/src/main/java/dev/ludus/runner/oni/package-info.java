/**
 * ONI's three intrinsic-reward shapers (Zheng et al. 2024, "Online Intrinsic Rewards for Decision Making Agents from
 * Large Language Model Feedback"): {@code online_cls} (retrieval), {@code online_cls_reward_model} (classification) and
 * {@code online_motif} (ranking), all fed asynchronously by an LLM annotator named in the run's {@code llm:} section.
 */
package dev.ludus.runner.oni;
