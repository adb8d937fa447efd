// Which adapter serves each channel kind: the kernel's `channels` contributions (one per kind,
// `preferredChannels` choosing among several) or adapters handed over directly.
import { Kernel, channelKindSchema, type ChannelAdapter, type ChannelKind, type Logger } from '@kequn/core';
import { ChannelsError } from './errors.js';

/** An adapter for a channel kind, with its contribution id and whether the channel is secure. */
export interface ChannelBinding {
  adapter: ChannelAdapter;
  /** Default: the channel kind. */
  id?: string;
  /** Default false: personal values in messages are masked. */
  secure?: boolean;
}

export type ChannelBindings = Partial<Record<ChannelKind, ChannelAdapter | ChannelBinding>>;

/** A resolved channel: the adapter serving one kind. */
export interface ResolvedChannel {
  id: string;
  kind: ChannelKind;
  adapter: ChannelAdapter;
  secure: boolean;
}

export interface ResolveChannelsOptions {
  /** With a kernel: which contribution serves a kind when several do. Default: the first declared. */
  preferredChannels?: Partial<Record<ChannelKind, string>>;
  logger: Logger;
}

/**
 * One adapter per channel kind. A kernel channel that fails to activate is logged and left out
 * (its messages wait in the outbox); none at all is an error.
 */
export async function resolveChannels(channels: Kernel | ChannelBindings, options: ResolveChannelsOptions): Promise<ResolvedChannel[]> {
  const found = channels instanceof Kernel ? await kernelChannels(channels, options) : givenChannels(channels);
  if (found.length === 0) {
    throw new ChannelsError(
      'KQ_DISPATCHER_NO_CHANNELS',
      'The dispatcher has no channel adapters: register a channel plugin (e.g. @kequn/plugin-channel-console) with the kernel, or pass adapters by channel kind.',
    );
  }
  return found;
}

function givenChannels(given: ChannelBindings): ResolvedChannel[] {
  return channelKindSchema.options.flatMap((kind) => {
    const entry = given[kind];
    if (entry === undefined) return [];
    const binding: ChannelBinding = 'adapter' in entry ? entry : { adapter: entry };
    return [{ id: binding.id ?? kind, kind, adapter: binding.adapter, secure: binding.secure ?? false }];
  });
}

async function kernelChannels(kernel: Kernel, options: ResolveChannelsOptions): Promise<ResolvedChannel[]> {
  const chosen = new Map<ChannelKind, { id: string; secure: boolean }>();
  for (const { declaration } of kernel.channels.list()) {
    const preferred = options.preferredChannels?.[declaration.kind];
    if (preferred !== undefined ? declaration.id === preferred : !chosen.has(declaration.kind)) {
      chosen.set(declaration.kind, { id: declaration.id, secure: declaration.secure });
    }
  }
  const resolved: ResolvedChannel[] = [];
  for (const [kind, { id, secure }] of chosen) {
    try {
      resolved.push({ id, kind, secure, adapter: await kernel.channels.get(id) });
    } catch (error) {
      // One broken channel plugin must not stop the others; its messages wait in the outbox.
      options.logger.error(`Channel ${id} (${kind}) could not be activated; its messages stay queued.`, error);
    }
  }
  return resolved;
}
