// Every npm script runs on the Node 24 that the `node` devDependency installs into
// node_modules/.bin. If this prints, the install skipped that package's preinstall
// (for example `npm ci --ignore-scripts`) and tools would silently run on Node 20.
const major = Number(process.versions.node.split(".")[0]);
if (major !== 24) {
  console.error(
    `atrc: expected Node 24, found ${process.version}. Run \`npm ci\` (without --ignore-scripts) and use npm scripts or npx.`,
  );
  process.exit(1);
}
