// Render a JSON Resume file with a theme package: node render_theme.mjs THEME_ENTRY FILE
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [theme, file] = process.argv.slice(2);
const module = await import(pathToFileURL(theme).href);
const render = module.render ?? module.default?.render;
process.stdout.write(await render(JSON.parse(readFileSync(file, "utf8"))));
