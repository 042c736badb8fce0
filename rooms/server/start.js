// `npm start` runs this. Plain JavaScript on purpose: any Node can read it and
// say which runtime the server needs, where main.ts on an old Node fails with
// "Unknown file extension .ts" and a stack trace. The server runs its
// TypeScript with Node's built-in type stripping (on by default from 22.18 and
// 23.6), and Colyseus 0.18 needs Node 22; package.json "engines" says the same.

const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
const supported = major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
if (!supported) {
  process.stderr.write(`roomservice needs Node >= 22.18 (found ${process.versions.node}); run it with npm start, which uses the Node 24 that npm install put in node_modules\n`);
  process.exit(1);
}
await import("./main.ts");
