/** One problem in a rule set document: the path to the value and what was expected. */
export interface RuleSetProblem {
  /** Path in the document, such as `rules[3].when.all[1].op`. */
  path: string;
  message: string;
}

/** Raised when a rule set document is invalid; lists every problem, each with its path. */
export class RuleSetError extends Error {
  readonly problems: readonly RuleSetProblem[];
  readonly source: string | undefined;

  constructor(problems: readonly RuleSetProblem[], source?: string) {
    const where = source === undefined ? 'rule set' : `rule set ${source}`;
    const lines = problems.map((problem) => `  ${problem.path}: ${problem.message}`);
    super(`invalid ${where} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
    this.name = 'RuleSetError';
    this.problems = problems;
    this.source = source;
  }
}

/** Raised when a sourcing request is malformed (such as a fractional or negative quantity). */
export class SourcingInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourcingInputError';
  }
}
