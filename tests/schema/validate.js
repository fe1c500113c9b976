// Validates Plinth spec files against the generated JSON Schemas with ajv, a validator other
// than the one Plinth checks with (SchemaValidationTest runs it; .ci/run installs ajv and yaml).
//
//   node validate.js NODE_MODULES SCHEMA_DIR (valid|invalid|rejected)=FILE...
//
// Every document of a valid=FILE must validate. An invalid=FILE holds one document and a first
// line "# expect: <instancePath> <keyword>": it must fail, with an error of that keyword at that
// path. A rejected=FILE (a golden error case's file) must fail, with any error. Each document is checked against plinth.schema.json (which picks by kind) and against
// its kind's own file; the two must agree. Prints one line per file; exit 1 on any surprise.
'use strict';
const path = require('path');
const fs = require('fs');

const [modules, schemaDir, ...cases] = process.argv.slice(2);
const Ajv = require(path.join(modules, 'ajv'));
const YAML = require(path.join(modules, 'yaml'));

// strict: refuse any keyword draft-07 does not know, so a schema an editor would half-read fails here
const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, allowUnionTypes: true });
const load = (name) => ajv.compile(JSON.parse(fs.readFileSync(path.join(schemaDir, name), 'utf8')));
const any = load('plinth.schema.json');
const byKind = {};
for (const kind of ['Platform', 'Environment', 'Tenant', 'Application']) {
  byKind[kind] = load(kind.toLowerCase() + '.schema.json');
}

function errorsOf(validate, doc) {
  return validate(doc) ? [] : validate.errors;
}

function check(doc) {
  const errors = errorsOf(any, doc);
  const own = doc && byKind[doc.kind];
  if (own && (errorsOf(own, doc).length === 0) !== (errors.length === 0)) {
    throw new Error('plinth.schema.json and ' + doc.kind.toLowerCase() + '.schema.json disagree');
  }
  return errors;
}

const show = (e) => `${e.instancePath || '/'} ${e.keyword}: ${e.message}`;
let surprises = 0;
for (const c of cases) {
  const eq = c.indexOf('=');
  const expect = c.slice(0, eq);
  const file = c.slice(eq + 1);
  const text = fs.readFileSync(file, 'utf8');
  // YAML 1.2 core schema, as Plinth reads specs
  const docs = YAML.parseAllDocuments(text, { version: '1.2', schema: 'core', uniqueKeys: true });
  const broken = docs.flatMap((d) => d.errors);
  if (broken.length) {
    console.log(`FAIL ${file}: not YAML: ${broken[0].message}`);
    surprises++;
    continue;
  }
  let values, errors;
  try {
    values = docs.map((d) => d.toJS({ maxAliasCount: 50 })).filter((v) => v !== null && v !== undefined);
    errors = values.flatMap(check);
  } catch (e) {
    console.log(`FAIL ${file}: ${e.message}`);
    surprises++;
    continue;
  }
  if (expect === 'valid') {
    if (errors.length === 0) console.log(`ok   ${file}: ${values.length} documents valid`);
    else {
      console.log(`FAIL ${file}: expected valid, got:\n  ${errors.map(show).join('\n  ')}`);
      surprises++;
    }
  } else if (expect === 'rejected') {
    if (errors.length) console.log(`ok   ${file}: rejected (${errors.length} errors, first ${show(errors[0])})`);
    else {
      console.log(`FAIL ${file}: expected errors, got none`);
      surprises++;
    }
  } else if (expect === 'invalid') {
    const m = /^# expect: (\S*) (\S+)/.exec(text);
    if (!m) throw new Error(file + ': the first line must be "# expect: <instancePath> <keyword>"');
    const want = errors.find((e) => e.instancePath === m[1] && e.keyword === m[2]);
    if (want) console.log(`ok   ${file}: invalid (${show(want)})`);
    else {
      console.log(`FAIL ${file}: expected an error ${m[1]} ${m[2]}, got:\n  ${errors.map(show).join('\n  ') || 'none (valid)'}`);
      surprises++;
    }
  } else {
    throw new Error('unknown expectation ' + expect);
  }
}
console.log(`${cases.length} files, ${surprises} surprises`);
process.exit(surprises ? 1 : 0);
