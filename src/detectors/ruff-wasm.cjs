'use strict';
// Lint every .py file under ROOT with ruff's WebAssembly build, in one process,
// and print one JSON document for `leakmut score`.
//
//   node ruff-wasm.cjs [--select CODES] [--strip-noqa] ROOT
//
// Needs @astral-sh/ruff-wasm-nodejs on NODE_PATH (leakmut sets
// NODE_PATH=<source>/build/node/node_modules); without it, the checkout's own
// build/node/node_modules is tried.
//
// Output: {"tool":"ruff","version":V,"config":{"select":[...],"strip_noqa":B},
//          "findings":[{"rule","path","line","col","end_line","end_col","message"}],
//          "errors":[{"path","message"}]}
// Lines and columns are 1-based, columns in Unicode code points; a leading BOM
// is not counted. Paths are relative to ROOT, '/'-separated. Findings are
// sorted by path (byte-wise), line, col. The walk matches leakmut's own: names
// sorted byte-wise, hidden entries, __pycache__, virtual environments (a folder
// holding pyvenv.cfg) and symbolic links skipped.
//
// A file that cannot be read, is not UTF-8, does not parse, or on which ruff
// panicked is listed in "errors" (one entry per file) and the run goes on:
// ruff skips its AST-based rules (SIM115 among them) on a file that does not
// parse. A syntax error ruff finds in a file that parses (`nonlocal` at module
// level, ...) does not stop its rules and is a finding, rule "invalid-syntax".
// Rule names are codes (SIM115): preview, which would turn them into names, is
// off.
//
// --strip-noqa blanks every noqa directive in a comment (`# noqa`,
// `# noqa: CODES`, `# ruff: noqa`, `# flake8: noqa`, any case) with spaces of
// the same length before linting, so the run shows what noqa suppressed: the
// wasm build ignores the `lint.ignore-noqa` setting.
//
// Exit status: 0, also when some files failed; 2 on a usage error or when ROOT
// cannot be read (message on stderr).

// Before the module is loaded: without it node waits seconds at exit for
// V8's optimising compiler to finish compiling the 10 MB module.
require('v8').setFlagsFromString('--liftoff-only');

const fs = require('fs');
const path = require('path');

const USAGE = 'usage: node ruff-wasm.cjs [--select CODES] [--strip-noqa] ROOT\n';

function die(message) {
	process.stderr.write(`ruff-wasm: ${message}\n`);
	process.exit(2);
}

function parseArgs(argv) {
	const opts = { select: ['SIM115'], stripNoqa: false, root: null };
	let rest = false;
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		let value = null;
		if (!rest && (a === '-h' || a === '--help')) {
			process.stdout.write(USAGE);
			process.exit(0);
		} else if (!rest && a === '--') {
			rest = true;
		} else if (!rest && a === '--strip-noqa') {
			opts.stripNoqa = true;
		} else if (!rest && (a === '--select' || a.startsWith('--select='))) {
			if (a === '--select') {
				if (i + 1 >= argv.length)
					die('--select needs a value\n' + USAGE.trimEnd());
				value = argv[++i];
			} else {
				value = a.slice('--select='.length);
			}
			const codes = value.split(',').map((s) => s.trim()).filter((s) => s);
			if (!codes.length)
				die('--select: no rule codes given');
			opts.select = codes;
		} else if (!rest && a.startsWith('-') && a !== '-') {
			die(`unknown option '${a}'\n` + USAGE.trimEnd());
		} else if (opts.root === null) {
			opts.root = a;
		} else {
			die('only one ROOT may be given\n' + USAGE.trimEnd());
		}
	}
	if (opts.root === null)
		die('ROOT is missing\n' + USAGE.trimEnd());
	return opts;
}

const byteCompare = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));

// The .py files under root as [absolute-ish path, relative path]; unreadable
// directories go into errors.
function walk(root, errors) {
	const files = [];
	const visit = (dir, rel, depth) => {
		if (depth > 256) {
			errors.push({ path: rel, message: 'directories nested too deeply' });
			return;
		}
		let names;
		try {
			names = fs.readdirSync(dir);
		} catch (e) {
			if (depth === 0)
				throw e;
			errors.push({ path: rel, message: `cannot read directory: ${e.message}` });
			return;
		}
		names = names.filter((n) => !n.startsWith('.')).sort(byteCompare);
		for (const name of names) {
			const full = path.join(dir, name);
			const relName = rel ? `${rel}/${name}` : name;
			let st;
			try {
				st = fs.lstatSync(full);
			} catch (e) {
				errors.push({ path: relName, message: e.message });
				continue;
			}
			if (st.isSymbolicLink())
				continue;
			if (st.isDirectory()) {
				if (name === '__pycache__' || fs.existsSync(path.join(full, 'pyvenv.cfg')))
					continue;
				visit(full, relName, depth + 1);
			} else if (st.isFile() && name.endsWith('.py')) {
				files.push([full, relName]);
			}
		}
	};
	let st;
	try {
		st = fs.statSync(root);
	} catch (e) {
		die(`${root}: ${e.message}`);
	}
	if (!st.isDirectory())
		return [[root, path.basename(root)]];
	try {
		visit(root, '', 0);
	} catch (e) {
		die(`${root}: ${e.message}`);
	}
	return files;
}

// A noqa directive starting at a '#' inside a comment.
const NOQA = /^#\s*(?:(?:ruff|flake8)\s*:\s*)?noqa/i;

function blankNoqa(comment) {
	let out = '';
	let i = 0;
	while (i < comment.length) {
		let next = comment.indexOf('#', i + 1);
		if (next < 0)
			next = comment.length;
		const segment = comment.slice(i, next);
		// One space per code point, so that columns do not move.
		out += NOQA.test(segment) ? ' '.repeat([...segment].length) : segment;
		i = next;
	}
	return out;
}

// The text with every noqa directive in a comment blanked. Comments are found
// with ruff's own lexer, so '# noqa' inside a string is left alone.
function stripNoqa(ws, text) {
	if (!/noqa/i.test(text))
		return text;
	const ranges = [];
	// tokens() is a Debug listing, one token a line: `    Comment 21..35,`.
	for (const m of ws.tokens(text).matchAll(/^ *Comment (\d+)\.\.(\d+)/gm))
		ranges.push([Number(m[1]), Number(m[2])]);
	if (!ranges.length)
		return text;
	// Token ranges are UTF-8 byte offsets, on character boundaries.
	const bytes = Buffer.from(text, 'utf8');
	let out = '';
	let at = 0;
	for (const [s, e] of ranges) {
		out += bytes.toString('utf8', at, s) + blankNoqa(bytes.toString('utf8', s, e));
		at = e;
	}
	return out + bytes.toString('utf8', at);
}

// Lints one file's text; returns {findings, error} for it. Throws only when
// ruff itself fails (a trap), after which the module must be reloaded.
function lintText(ws, text, rel, stripNoqaOn) {
	const diags = ws.check(stripNoqaOn ? stripNoqa(ws, text) : text);
	const findings = [];
	const syntax = [];
	for (const d of diags) {
		const f = {
			rule: d.code || 'invalid-syntax',
			path: rel,
			line: d.start_location.row,
			col: d.start_location.column,
			end_line: d.end_location.row,
			end_col: d.end_location.column,
			message: d.message,
		};
		(f.rule === 'invalid-syntax' ? syntax : findings).push(f);
	}
	if (!syntax.length)
		return { findings, error: null };
	// ruff runs its AST rules (SIM115 among them) only on a file that parses.
	// A syntax error found after parsing (`nonlocal` at module level, ...)
	// does not stop them: it stays a finding, as ruff reports it. The
	// formatter refuses exactly the files that do not parse.
	let parses = true;
	try {
		ws.format(text);
	} catch (e) {
		if (e instanceof WebAssembly.RuntimeError)
			throw e;
		parses = false;
	}
	if (parses)
		return { findings: findings.concat(syntax), error: null };
	const d = syntax[0];
	const more = syntax.length > 1 ? ` (and ${syntax.length - 1} more)` : '';
	return {
		findings,
		error: { path: rel, message: `${d.line}:${d.col}: syntax error: ${d.message}${more}` },
	};
}

function main() {
	const opts = parseArgs(process.argv.slice(2));
	// preview stays off: with it on, diagnostics carry rule names, not codes.
	const settings = { lint: { select: opts.select, preview: false } };
	const PKG = '@astral-sh/ruff-wasm-nodejs';

	// A Rust panic traps the module, and from then on it answers every check
	// with no diagnostics at all, even in a new Workspace: the only way on is
	// a fresh instance, so the package is loaded anew. Its panic hook writes
	// the message with console.error; it is kept for the error entry.
	let panic = null;
	const consoleError = console.error;
	console.error = (...args) => {
		const text = args.join(' ');
		const m = /panicked at ([^\n]*)\n([^\n]*)/.exec(text);
		if (m)
			panic = `${m[2]} (${m[1].replace(/:$/, '')})`;
		else
			consoleError(...args);
	};
	// NODE_PATH first, then the checkout's own build/node (.ci/setup puts it there).
	const resolvePkg = () => {
		try {
			return require.resolve(PKG);
		} catch (e) {
			try {
				return require.resolve(PKG, { paths: [path.join(__dirname, '..', '..', 'build', 'node')] });
			} catch (e2) {
				throw e;
			}
		}
	};
	let ruff, ws;
	const load = () => {
		const id = resolvePkg();
		delete require.cache[id];
		ruff = require(id);
		if (ruff.PositionEncoding.Utf32 === undefined)
			throw new Error('this build has no PositionEncoding.Utf32');
		ws = new ruff.Workspace(settings, ruff.PositionEncoding.Utf32);
	};
	try {
		load();
	} catch (e) {
		const why = String((e && e.message) || e).replace(/^Error: /, '').split('\n')[0];
		if (ruff && ruff.Workspace)
			die(`--select ${opts.select.join(',')}: ${why}`);
		die(`cannot load ${PKG} (NODE_PATH=${process.env.NODE_PATH || ''}): ${why}`);
	}

	const errors = [];
	const findings = [];
	const files = walk(opts.root, errors);
	const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
	let broken = null; // set when ruff can no longer be loaded

	for (const [full, rel] of files) {
		if (broken) {
			errors.push({ path: rel, message: broken });
			continue;
		}
		let text;
		try {
			text = decoder.decode(fs.readFileSync(full));
		} catch (e) {
			errors.push({ path: rel, message: e instanceof TypeError ? 'not UTF-8' : e.message });
			continue;
		}
		if (text.charCodeAt(0) === 0xfeff)
			text = text.slice(1); // columns as editors and Python count them
		let res;
		panic = null;
		try {
			res = lintText(ws, text, rel, opts.stripNoqa);
		} catch (e) {
			const why = panic ? `ruff panicked: ${panic}` : `ruff failed: ${(e && e.message) || e}`;
			errors.push({ path: rel, message: why });
			try {
				load();
			} catch (e2) {
				broken = `not linted: ruff could not be reloaded after a failure (${(e2 && e2.message) || e2})`;
			}
			continue;
		}
		for (const f of res.findings)
			findings.push(f);
		if (res.error)
			errors.push(res.error);
	}

	findings.sort((a, b) =>
		byteCompare(a.path, b.path) || a.line - b.line || a.col - b.col ||
		a.end_line - b.end_line || a.end_col - b.end_col || byteCompare(a.rule, b.rule));
	errors.sort((a, b) => byteCompare(a.path, b.path)); // stable: walk order within a path
	const doc = {
		tool: 'ruff',
		version: ruff.Workspace.version(),
		config: { select: opts.select, strip_noqa: opts.stripNoqa },
		findings,
		errors,
	};
	// Written before node exits on its own (no process.exit here), so a pipe
	// gets all of it.
	process.stdout.write(JSON.stringify(doc) + '\n');
}

main();
