import { startApplyWorld } from './test/apply/kit.js';
const w = await startApplyWorld();
const r = await w.apply(['--no-progress']);
console.log('STATUS', r.status, '\nSTDOUT\n', r.stdout.split('\n').slice(0, 15).join('\n'), '\n...', r.stdout.split('\n').length, 'lines\nSTDERR\n', r.stderr.split('\n').slice(0, 30).join('\n'), r.stderr.split('\n').length);
await w.close();
