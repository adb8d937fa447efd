// Shared styles. Tokens come in three tiers, each a CSS custom property with a fallback so an
// element renders without any theme loaded:
//   primitives  --kq-color-blue-700, --kq-space-2 …          (the palette; themes/default.css)
//   semantic    --kq-color-primary, --kq-color-text …         (what a colour means)
//   component   --kq-pyramid-tier-mid-fill, --kq-list-height … (one element's knob)
// A component token falls back to a semantic one, which falls back to a primitive, then a literal.
import { css } from 'lit';

export const hostStyles = css`
  :host {
    --_text: var(--kq-color-text, var(--kq-color-neutral-900, #1f2328));
    --_text-muted: var(--kq-color-text-muted, var(--kq-color-neutral-600, #4b5563));
    --_surface: var(--kq-color-surface, var(--kq-color-neutral-0, #ffffff));
    --_surface-raised: var(--kq-color-surface-raised, var(--kq-color-neutral-50, #f6f8fa));
    --_border: var(--kq-color-border, var(--kq-color-neutral-300, #d0d7de));
    --_primary: var(--kq-color-primary, var(--kq-color-blue-700, #1d4ed8));
    --_on-primary: var(--kq-color-on-primary, var(--kq-color-neutral-0, #ffffff));
    --_danger: var(--kq-color-danger, var(--kq-color-red-700, #b91c1c));
    --_success: var(--kq-color-success, var(--kq-color-green-700, #15803d));
    --_warning: var(--kq-color-warning, var(--kq-color-amber-800, #92400e));
    --_focus: var(--kq-color-focus, var(--kq-color-blue-500, #2563eb));
    --_radius: var(--kq-radius-medium, 6px);
    --_space-1: var(--kq-space-1, 4px);
    --_space-2: var(--kq-space-2, 8px);
    --_space-3: var(--kq-space-3, 12px);
    display: block;
    box-sizing: border-box;
    color: var(--_text);
    background: var(--_surface);
    font-family: var(
      --kq-font-family,
      system-ui,
      -apple-system,
      'PingFang SC',
      'Microsoft YaHei',
      sans-serif
    );
    font-size: var(--kq-font-size, 14px);
    line-height: 1.5;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    color: var(--_text);
    background: var(--_surface-raised);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 2px var(--_space-2);
    cursor: pointer;
  }
  button.primary {
    background: var(--_primary);
    color: var(--_on-primary);
    border-color: var(--_primary);
  }
  input,
  select,
  textarea {
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 2px var(--_space-1);
  }
  .status {
    color: var(--_text-muted);
    margin: var(--_space-2) 0;
  }
  .error {
    color: var(--_danger);
    display: flex;
    gap: var(--_space-2);
    align-items: center;
    flex-wrap: wrap;
    margin: var(--_space-2) 0;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  table {
    border-collapse: collapse;
  }
  th,
  td {
    text-align: start;
    padding: var(--_space-1) var(--_space-2);
    border-bottom: 1px solid var(--_border);
  }
  h2,
  h3 {
    margin: var(--_space-3) 0 var(--_space-2);
    font-size: 1em;
  }
`;

/** Fill of each tier (component tokens over the semantic tier colours). */
export const tierColors: Readonly<Record<string, string>> = {
  potential: 'var(--kq-color-tier-potential, var(--kq-color-neutral-600, #4b5563))',
  effective: 'var(--kq-color-tier-effective, var(--kq-color-teal-700, #0f766e))',
  mid: 'var(--kq-color-tier-mid, var(--kq-color-blue-700, #1d4ed8))',
  high_end: 'var(--kq-color-tier-high-end, var(--kq-color-violet-700, #6d28d9))',
  private: 'var(--kq-color-tier-private, var(--kq-color-amber-800, #92400e))',
};
