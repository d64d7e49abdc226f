// Bundle the browser code with esbuild: no CDN, every asset is served by the app.
//
// - The web kit (../src/interview_web/static/dist/kit/*.js): the API client and the code editor, at stable
//   URLs any module's scripts import (`import { act } from "/static/dist/kit/api.js"`).
// - Every plugin folder with a frontend/bundle.json (../../../plugins/*/frontend/): its scripts, into the
//   static folder its ModulePages declares (served at /static/modules/NAME/). Imports of /static/... stay
//   imports of the kit; packages (CodeMirror, the ElevenLabs client) resolve from this folder's node_modules.
//   bundle.json: {"entryPoints": {"name": "file.js"}, "outdir": "...", "copy": {"to": "node_modules/from"}}
//   (paths relative to bundle.json). A third-party plugin ships its built files; this is only our build.
import { build } from "esbuild";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const outdir = "../src/interview_web/static/dist";
const nodeModules = resolve("node_modules");
const common = {
  bundle: true,
  splitting: true,
  format: "esm",
  target: ["es2020"],
  minify: true,
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
};

rmSync(outdir, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { "kit/api": "src/api.js", "kit/editor": "src/editor.js", summary: "src/summary.js" },
  outdir,
});

// The API explorer at /schema, served locally instead of from a CDN.
mkdirSync(`${outdir}/swagger`, { recursive: true });
for (const file of ["swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"]) {
  copyFileSync(`node_modules/swagger-ui-dist/${file}`, `${outdir}/swagger/${file}`);
}

const plugins = resolve("../../../plugins");
let bundled = 0;
for (const name of existsSync(plugins) ? readdirSync(plugins).sort() : []) {
  const spec = join(plugins, name, "frontend", "bundle.json");
  if (!existsSync(spec)) continue;
  const here = dirname(spec);
  const { entryPoints, outdir: target, copy = {} } = JSON.parse(readFileSync(spec, "utf8"));
  const out = resolve(here, target);
  rmSync(out, { recursive: true, force: true });
  await build({
    ...common,
    entryPoints: Object.fromEntries(Object.entries(entryPoints).map(([key, file]) => [key, resolve(here, file)])),
    outdir: out,
    nodePaths: [nodeModules],
    external: ["/static/*"],
  });
  for (const [to, from] of Object.entries(copy)) {
    const destination = resolve(out, to);
    mkdirSync(dirname(destination), { recursive: true });
    copyFileSync(resolve(from.replace(/^node_modules\//, `${nodeModules}/`)), destination);
  }
  bundled += 1;
}
console.log(`bundled the web kit into ${outdir} and ${bundled} plugins' scripts`);
