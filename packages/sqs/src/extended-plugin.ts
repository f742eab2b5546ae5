import { type HandlerExecutionContext, type Pluggable, SMITHY_CONTEXT_KEY } from '@smithy/types';
import { type ExtendedClientOptions, type ExtendedSettings, resolveExtendedOptions } from './extended-options.js';
import { Incoming } from './incoming.js';
import { Outgoing } from './outgoing.js';
import { PayloadBucket } from './payload-bucket.js';

/** A middleware plugin for `client.middlewareStack.use()`, with `destroy()` for the S3 client it built. */
export interface ExtendedClientPlugin<Input extends object, Output extends object> extends Pluggable<Input, Output> {
  /** Closes the S3 client the plugin built from the options; one passed in as `client` is left open. */
  destroy(): void;
}

/** The parts both plugins are made of. */
export interface ExtendedParts {
  settings: ExtendedSettings;
  bucket: PayloadBucket;
  outgoing: Outgoing;
  incoming: Incoming;
}

/** Checks the options and builds the S3 side once per plugin. */
export function extendedParts(options: ExtendedClientOptions, backend: string): ExtendedParts {
  const settings = resolveExtendedOptions(options, backend);
  const bucket = new PayloadBucket(settings);
  return { settings, bucket, outgoing: new Outgoing(settings, bucket), incoming: new Incoming(settings, bucket) };
}

/** One handler per covered command; every other command passes straight through. */
export type CommandHandlers = Record<
  string,
  ((input: never, next: (input: object) => Promise<object>, signal: AbortSignal | undefined) => Promise<object>) | undefined
>;

/**
 * The `abortSignal` the caller gave `client.send(command, { abortSignal })`. The SDK hands it to its
 * own HTTP request and also puts it in the handler context, where the plugin's S3 reads find it.
 */
export function callerSignal(context: HandlerExecutionContext): AbortSignal | undefined {
  const smithy: unknown = context[SMITHY_CONTEXT_KEY];
  const signal = typeof smithy === 'object' && smithy !== null ? (smithy as { abortSignal?: unknown }).abortSignal : undefined;
  return signal instanceof AbortSignal ? signal : undefined;
}

/**
 * The plugin: one `initialize` middleware of high priority, so that it runs outside the SDK's own
 * MD5 checks, which then compare what really went over the wire.
 */
export function extendedPlugin<Input extends object, Output extends object>(
  name: string,
  parts: ExtendedParts,
  handlers: CommandHandlers,
): ExtendedClientPlugin<Input, Output> {
  return {
    applyToStack(stack) {
      stack.add(
        (next, context) => async (args) => {
          const handler = handlers[context.commandName ?? ''];
          if (handler === undefined) return next(args);
          let response: Awaited<ReturnType<typeof next>> | undefined;
          const output = await handler(
            args.input as never,
            async (input) => {
              response = await next({ ...args, input: input as Input });
              return response.output;
            },
            callerSignal(context),
          );
          return { response: response?.response, output: output as Output };
        },
        { step: 'initialize', priority: 'high', name, override: true },
      );
    },
    destroy() {
      parts.settings.objects.destroy();
    },
  };
}
