// Bundle the browser code into ../src/interview_web/static/dist: no CDN, every asset is served by the app.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";

const outdir = "../src/interview_web/static/dist";
const entryPoints = {
  coding: "src/coding.js",
  debugging: "src/debugging.js",
  screen: "src/screen.js",
  summary: "src/summary.js",
};

rmSync(outdir, { recursive: true, force: true });

await build({
  entryPoints,
  bundle: true,
  splitting: true,
  format: "esm",
  target: ["es2020"],
  minify: true,
  outdir,
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
});

// The API explorer at /schema, served locally instead of from a CDN.
mkdirSync(`${outdir}/swagger`, { recursive: true });
for (const file of ["swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"]) {
  copyFileSync(`node_modules/swagger-ui-dist/${file}`, `${outdir}/swagger/${file}`);
}
// The voice client's audio worklets and resampler, served from our own origin: the client would otherwise load
// them from blob:/data: URLs and a CDN, which the page's CSP (script-src 'self') rightly refuses.
mkdirSync(`${outdir}/elevenlabs`, { recursive: true });
for (const file of ["rawAudioProcessor.js", "audioConcatProcessor.js"]) {
  copyFileSync(`node_modules/@elevenlabs/client/worklets/${file}`, `${outdir}/elevenlabs/${file}`);
}
copyFileSync(
  "node_modules/@alexanderolsen/libsamplerate-js/dist/libsamplerate.worklet.js",
  `${outdir}/elevenlabs/libsamplerate.worklet.js`,
);
console.log(`bundled ${Object.keys(entryPoints).length} entry points into ${outdir}`);
