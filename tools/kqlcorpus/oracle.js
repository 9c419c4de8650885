// Holds the corpus of kqlcorpus (the KQL the push-down writes) against
// Microsoft's Kusto parser, Kusto.Language (@kusto/language-service-next):
// every query parses with no diagnostics, its string literals decode to the
// values sent, it has the syntax tree of its benign twin, and the
// simulator's lexer accepts, refuses and decodes each text as the parser
// does. Usage: node tools/kqlcorpus/oracle.js corpus.json
'use strict';

const fs = require('fs');
require('@kusto/language-service-next/bridge.min.js');
require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');

const { KustoCode } = Kusto.Language;
const { SyntaxKind, SyntaxElement } = Kusto.Language.Syntax;
const literalKinds = new Set([SyntaxKind.StringLiteralExpression, SyntaxKind.CompoundStringLiteralExpression]);

// parse returns the diagnostics, the string literals' values (a compound
// literal, "a" "b", counts once) and the tree's shape: the kinds of its
// elements, which a literal's text does not change.
function parse(text) {
  const code = KustoCode.Parse(text);
  const list = code.GetDiagnostics();
  const diagnostics = [];
  for (let i = 0; i < list.Count; i++) {
    diagnostics.push(list.getItem(i).Message);
  }
  const values = [];
  const shape = [];
  // A literal's parts are not walked: "a" "b" is one value, and its text is
  // no part of the shape.
  SyntaxElement.WalkElements(
    code.Syntax,
    (e) => {
      shape.push(e.Kind);
      if (literalKinds.has(e.Kind)) {
        values.push(e.LiteralValue);
      }
    },
    null,
    (e) => !literalKinds.has(e.Kind)
  );
  return { diagnostics, values, shape: shape.join(',') };
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function check(entry) {
  const got = parse(entry.kql);
  const ok = got.diagnostics.length === 0;
  if (entry.sim.ok !== ok) {
    return `the simulator ${entry.sim.ok ? 'accepts' : 'refuses'} it; the parser ${ok ? 'accepts it' : 'says ' + got.diagnostics[0]}`;
  }
  if (ok && !same(entry.sim.values || [], got.values)) {
    return `the simulator reads ${JSON.stringify(entry.sim.values)}; the parser ${JSON.stringify(got.values)}`;
  }
  if (entry.form) {
    return '';
  }
  if (!ok) {
    return `${got.diagnostics.length} diagnostics: ${got.diagnostics.slice(0, 3).join('; ')}`;
  }
  if (entry.want && !same(entry.want, got.values)) {
    return `literals ${JSON.stringify(got.values)}; want ${JSON.stringify(entry.want)}`;
  }
  if (entry.benign && parse(entry.benign).shape !== got.shape) {
    return 'its syntax tree differs from the same query with a benign value';
  }
  return '';
}

const corpus = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
let passed = 0;
let failed = 0;
for (const entry of corpus) {
  const problem = check(entry);
  if (problem) {
    failed++;
    console.log(`FAIL ${entry.name}: ${problem}\n  ${entry.kql.slice(0, 300).replace(/\n/g, '\n  ')}`);
  } else {
    passed++;
  }
}
console.log(`kql: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
