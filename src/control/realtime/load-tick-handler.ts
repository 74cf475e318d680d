import { RealtimeError } from './realtime-error.js';
import type { TickHandler, TickHandlerFactory } from './tick-handler.js';

/**
 * Import a handler module and build its handler from `data`: the one way both the tick worker
 * and `VirtualTickDriver` obtain a handler, so real and virtual time run the same code.
 *
 * The module's default export must be a `TickHandlerFactory`.
 *
 * @throws RealtimeError `ERR_TICK_HANDLER_MODULE` when the import fails, the default export is
 *   not a function, the factory throws, or it returns something that is not a function.
 */
export async function loadTickHandler(moduleUrl: URL | string, data: unknown): Promise<TickHandler> {
  const href = moduleUrl instanceof URL ? moduleUrl.href : moduleUrl;
  let module: { default?: unknown };
  try {
    module = (await import(href)) as { default?: unknown };
  } catch (error) {
    throw new RealtimeError('ERR_TICK_HANDLER_MODULE', `cannot import tick handler module ${href}: ${String(error)}`, {
      cause: error,
    });
  }
  if (typeof module.default !== 'function') {
    throw new RealtimeError(
      'ERR_TICK_HANDLER_MODULE',
      `${href}: the default export must be a TickHandlerFactory (a function), got ${typeof module.default}`,
    );
  }
  let handler: unknown;
  try {
    handler = await (module.default as TickHandlerFactory)(data);
  } catch (error) {
    throw new RealtimeError('ERR_TICK_HANDLER_MODULE', `${href}: the handler factory threw: ${String(error)}`, {
      cause: error,
    });
  }
  if (typeof handler !== 'function') {
    throw new RealtimeError('ERR_TICK_HANDLER_MODULE', `${href}: the factory must return a TickHandler function`);
  }
  return handler as TickHandler;
}
