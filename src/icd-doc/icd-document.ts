import { MESSAGE_NAMES } from '../protocol/catalogue/index.js';
import { catalogueSummary, messageSection, nakReasons, timingConstants } from './catalogue-sections.js';
import { launcher, radar } from './device-sections.js';
import {
  cobsSection,
  crcSection,
  dataTypes,
  frameFormat,
  header,
  headerFields,
  physicalLayer,
  purpose,
  receiverChecks,
} from './framing-sections.js';
import { exampleFrames, goldenVectors, schemaHash } from './reference-sections.js';
import { rules } from './rules-section.js';
import { acknowledgements, commandIds, deviceTime, session, sequenceNumbers, timeSync } from './session-sections.js';

/**
 * docs/protocol.md, the interface control document, rendered from the catalogue, the ICD rules
 * and the timing constants, with the prose of this module. `npm run docs:protocol` writes it;
 * a test fails when the committed file differs. Every number that also lives in code is taken
 * from code here, so the document cannot drift from the implementation.
 */
export function renderIcdDocument(): string {
  const sections = [
    header(),
    purpose(),
    physicalLayer(),
    frameFormat(),
    cobsSection(),
    crcSection(),
    headerFields(),
    receiverChecks(),
    dataTypes(),
    sequenceNumbers(),
    deviceTime(),
    session(),
    acknowledgements(),
    commandIds(),
    timeSync(),
    radar(),
    launcher(),
    catalogueSummary(),
    ...MESSAGE_NAMES.map((name) => messageSection(name)),
    nakReasons(),
    timingConstants(),
    rules(),
    exampleFrames(),
    schemaHash(),
    goldenVectors(),
  ];
  return sections.map((s) => s.trim()).join('\n\n') + '\n';
}
