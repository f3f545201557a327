/**
 * Tutoring (Pedagogical RL): a rule-based student who brings a problem with an exact answer, lacks skills, may hold
 * misconceptions, learns from hints, and is tested after the dialogue; a rule-based leak check stands in for the
 * judges.
 *
 * <p>State ({@link dev.ludus.simulators.tutoring.StudentState}), reading
 * ({@link dev.ludus.simulators.tutoring.TeacherClassifier}), rules ({@link dev.ludus.simulators.tutoring.TutoringRules})
 * and what the student says ({@link dev.ludus.simulators.tutoring.TutoringReplies}) are separate types; the skill
 * table ships as {@code skills.json} and can be replaced, like the generated problems, by files in the same schema.
 * The provider is registered as {@code tutoring-student}; the student itself is package-private.
 */
package dev.ludus.simulators.tutoring;
