// The entry of dist/bundle/kequn-components.js: every element registered, with the public API for
// pages that load the package from a plain <script type="module">.
import './define/all.js';

export * from './index.js';
