// Lints in-memory source as if it lived at a workspace path, with the real eslint.config.mjs.
// Input (stdin): JSON [{ filePath, code }]. Output (stdout): JSON [{ filePath, messages: [{ ruleId, message }] }].
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let input = '';
for await (const chunk of process.stdin) input += chunk;
const eslint = new ESLint({ cwd: root });
const out = [];
for (const { filePath, code } of JSON.parse(input)) {
  const [r] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  out.push({
    filePath,
    messages: r.messages.map((m) => ({ ruleId: m.ruleId, message: m.message })),
  });
}
process.stdout.write(JSON.stringify(out));
