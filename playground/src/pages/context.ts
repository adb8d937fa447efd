import type { PlaygroundConfig } from '../config.js';
import type { Session } from '../session.js';

/** What every page is built from: the signed-in session, the configuration and its container. */
export interface PageContext {
  readonly session: Session;
  readonly config: PlaygroundConfig;
  readonly container: HTMLElement;
}
