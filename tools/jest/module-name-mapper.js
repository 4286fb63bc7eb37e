/**
 * Maps every `@trading/<lib>` (and `@trading/<lib>/testing`) alias in tsconfig.base.json to its source,
 * so Jest runs against sources without a build.
 */
const path = require('path');
const base = require('../../tsconfig.base.json');
const root = path.resolve(__dirname, '../..');
const mapper = {};
for (const [alias, targets] of Object.entries(base.compilerOptions.paths || {})) {
  mapper['^' + alias.replace(/[/\\^$*+?.()|[\]{}-]/g, '\\$&') + '$'] = path.join(root, targets[0]);
}
module.exports = mapper;
