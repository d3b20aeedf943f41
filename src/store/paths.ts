/** Where the state database lives unless `--state` says otherwise (no database code, so commands can import it cheaply). */
export const DEFAULT_STATE_PATH = '.iam2sso/state.db';
