// <kq-provider>: hands the Kequn client to every kq-* element inside it through @lit/context.
import { LitElement, css, html } from 'lit';
import { ContextProvider } from '@lit/context';
import { kequnClientContext, type KequnComponentClient } from '../foundation/context.js';
import { KEQUN_COMPONENTS_VERSION } from '../foundation/version.js';

/**
 * Gives descendants the Kequn client. Elements inside it need no `.client` of their own; an
 * element's own `.client` still wins. Renders its children only (`display: contents`).
 *
 * @summary Provides the Kequn client to descendant kq-* elements.
 * @slot - The elements (and any other content) that use the client.
 */
export class KqProvider extends LitElement {
  static readonly kequnVersion: string = KEQUN_COMPONENTS_VERSION;

  static override properties = { client: { attribute: false } };

  static override styles = css`
    :host {
      display: contents;
    }
  `;

  /** The client created with `createKequnClient` from `@kequn/client`. */
  declare client: KequnComponentClient | undefined;

  readonly #provider = new ContextProvider(this, {
    context: kequnClientContext,
    initialValue: undefined,
  });

  constructor() {
    super();
    this.client = undefined;
  }

  protected override willUpdate(): void {
    this.#provider.setValue(this.client);
  }

  protected override render() {
    return html`<slot></slot>`;
  }
}
