import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { discoverFiles, globToRegExp, walkFiles } from '../../server/src/index/discover';
import { temporaryFolders } from './helpers/workspace';

const folder = temporaryFolders('bindings-checklist-discover-');

function write(root: string, files: string[]): void {
  for (const rel of files) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), '');
  }
}

describe('discovering the files of a workspace', () => {
  const FILES = [
    'Cargo.toml',
    'pyproject.toml',
    'crate/Cargo.toml',
    'crate/src/lib.rs',
    'crate/src/a/b/deep.rs',
    'crate/src/a/mod.rs',
    'crate/src/z.rs',
    'crate/src/aa.rs',
    'python/pkg_{{backend}}/__init__.py',
    '.angreal/templates/backend_cargo.toml.j2',
    'tests/test_pkg.py',
  ];
  const LEFT_OUT = ['README.md', 'crate/target/debug/build/out.rs', 'node_modules/x/y.py', '.git/hooks/h.py', '.venv/lib/site.py', 'vendored/skip.rs'];

  it('lists the Rust, Python and TOML files and their templates, in path order, leaving out build output, hidden and excluded folders', () => {
    const root = folder();
    write(root, [...FILES, ...LEFT_OUT]);
    assert.deepEqual(discoverFiles(root, { exclude: ['vendored/**'] }), [...FILES].sort());
  });

  it('walks a folder\'s files before its subfolders\', so a crate root comes before its modules', () => {
    const root = folder();
    write(root, [...FILES, ...LEFT_OUT]);
    const walked = [...walkFiles(root, { exclude: ['vendored/**'] })];
    assert.deepEqual([...walked].sort(), [...FILES].sort());
    const at = (rel: string) => walked.indexOf(rel);
    assert.ok(at('crate/src/lib.rs') < at('crate/src/a/mod.rs') && at('crate/src/lib.rs') < at('crate/src/a/b/deep.rs'), walked.join(', '));
    assert.ok(at('crate/src/z.rs') < at('crate/src/a/mod.rs'), walked.join(', '));
    assert.ok(at('crate/src/a/mod.rs') < at('crate/src/a/b/deep.rs'), walked.join(', '));
    assert.ok(at('Cargo.toml') < at('crate/Cargo.toml') && at('crate/Cargo.toml') < at('crate/src/lib.rs'), walked.join(', '));
  });

  it('lists nothing under a folder that does not exist', () => {
    assert.deepEqual(discoverFiles(path.join(folder(), 'missing'), { exclude: [] }), []);
  });

  it('reads exclude globs as paths relative to the workspace', () => {
    assert.ok(globToRegExp('vendored/**').test('vendored/a/b.rs'));
    assert.ok(globToRegExp('**/generated').test('x/y/generated/z.py'));
    assert.ok(globToRegExp('*.py').test('a.py'));
    assert.ok(!globToRegExp('*.py').test('dir/a.rs'));
  });
});
