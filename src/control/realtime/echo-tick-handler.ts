import { defineTickHandler } from './tick-handler.js';

/**
 * A trivial handler module: each tick echoes every input record back as an output record, in
 * order. It is the loop benchmark's load and the smallest example of a handler module (default
 * export: a factory). Name it with `siblingModuleUrl('./echo-tick-handler.js', import.meta.url)`.
 */
export default defineTickHandler(() => (_nowUs, inputs, output) => {
  for (const record of inputs) output(record);
});
