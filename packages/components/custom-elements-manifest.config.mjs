// @custom-elements-manifest/analyzer: custom-elements.json from the JSDoc of each element
// (@slot, @csspart, @cssprop, @event) and Lit's static properties.
export default {
  globs: ['src/elements/*.ts'],
  exclude: ['src/elements/index.ts', 'src/elements/segment-rule.ts'],
  outdir: 'dist',
  litelement: true,
  plugins: [
    {
      // Tag names live in the define entry points, not beside the classes: map each class to its tag.
      name: 'kequn-tag-names',
      packageLinkPhase({ customElementsManifest }) {
        for (const module of customElementsManifest.modules) {
          for (const declaration of module.declarations ?? []) {
            if (declaration.kind !== 'class' || !/^Kq[A-Z]/.test(declaration.name)) continue;
            const tagName = `kq-${declaration.name
              .slice(2)
              .replace(/([a-z])([A-Z])/g, '$1-$2')
              .toLowerCase()}`;
            declaration.customElement = true;
            declaration.tagName = tagName;
            module.exports = [
              ...(module.exports ?? []),
              {
                kind: 'custom-element-definition',
                name: tagName,
                declaration: { name: declaration.name, module: module.path },
              },
            ];
          }
        }
      },
    },
  ],
};
