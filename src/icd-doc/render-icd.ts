/**
 * Writes docs/protocol.md from renderIcdDocument() (`npm run docs:protocol`). Run it after any
 * change of the catalogue, the ICD rules, the timing constants or the ICD prose, and commit the
 * result; test/icd-doc/icd-document.test.ts fails while the file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderIcdDocument } from './icd-document.js';

const target = fileURLToPath(new URL('../../docs/protocol.md', import.meta.url));
writeFileSync(target, renderIcdDocument());
process.stdout.write(`wrote ${target}\n`);
