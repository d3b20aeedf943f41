#!/usr/bin/env node
// Starts a sandbox server from the package alone; see `iam2sso-sandbox --help` and the package README.
import '../dist/bin.js';
