/** The refusal a create meets when the name is taken by an object the tool does not own (never turned into "created"). */
export class NotManagedError extends Error {
  override name = 'NotManaged';
  constructor(what: string, adopt: string) {
    super(`${what} exists and is not managed by iam2sso: rename it in the plan, or adopt it with \`${adopt}\``);
  }
}
