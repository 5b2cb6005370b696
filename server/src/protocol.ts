/**
 * Custom requests and notifications between the extension client and the
 * language server. Imported by both sides; only vscode-languageserver-protocol
 * types here, so the client bundle does not pull in the server.
 */
import { Location, NotificationType, RequestType, RequestType0, WorkspaceEdit } from 'vscode-languageserver-protocol';

/**
 * Node.js options the extension starts the language server with, for less
 * memory on a big workspace: a young generation of 2 MB per semi-space (V8's
 * default grows it to 16 MB); one V8 background thread instead of four (the
 * parse workers are processes of their own); and an old generation that grows
 * by about a third of what it holds after each collection, not by up to four times, so
 * that the heap stays near what indexing keeps alive (at the cost of more
 * collections while it indexes). V8 reads them only at start-up, so they must
 * be on the command line.
 */
export const SERVER_NODE_OPTIONS = ['--max-semi-space-size=2', '--v8-pool-size=1', '--heap-growing-percent=35'];

/**
 * Environment variables the extension starts the language server with, on top
 * of its own: the C library (glibc) gives the memory of large freed blocks
 * back to the system at once, instead of raising its thresholds after the
 * large messages of indexing and keeping what is freed later. Ignored where
 * the C library is not glibc.
 */
export const SERVER_ENVIRONMENT: Record<string, string> = { MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' };

export type BindingKind = 'class' | 'function' | 'enum' | 'constant';

export namespace AddSymbolChoicesRequest {
  export const method = 'bindingsChecklist/addSymbolChoices';
  export interface Params {
    /** The active editor's document, if any: picks the workspace folder and the default Rust file. */
    uri?: string;
  }
  export interface Result {
    /** The workspace folder the symbol goes into; absent when no folder has a #[pymodule]. */
    folderUri?: string;
    /** Workspace-relative Rust files of the crate. */
    rustFiles: string[];
    defaultRustFile?: string;
    variants: string[];
  }
  export const type = new RequestType<Params, Result, void>(method);
}

export namespace ValidateNameRequest {
  export const method = 'bindingsChecklist/validateName';
  export interface Params {
    folderUri: string;
    name: string;
  }
  export interface Result {
    /** Why the name cannot be used; absent when it can. */
    error?: string;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

export namespace AddSymbolRequest {
  export const method = 'bindingsChecklist/addSymbol';
  export interface Params {
    folderUri: string;
    kind: BindingKind;
    pythonName: string;
    /** Workspace-relative Rust file. */
    rustFile: string;
    /** Variants to register the symbol in; null for all. */
    variants: string[] | null;
  }
  export interface Result {
    edit?: WorkspaceEdit;
    /** Where the new declaration's name is once the edit is applied. */
    declaration?: Location;
    error?: string;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

export namespace ReindexRequest {
  export const method = 'bindingsChecklist/reindex';
  export const type = new RequestType0<void, void>(method);
}

export namespace StatusNotification {
  export const method = 'bindingsChecklist/status';
  export interface Params {
    state: 'starting' | 'indexing' | 'ready' | 'disabled';
    /** Files indexed so far. */
    files: number;
    /** Python-visible symbols checked. */
    symbols: number;
    /** Findings, all folders together. */
    problems: number;
    /** A configuration error, if one is in the way. */
    error?: string;
  }
  export const type = new NotificationType<Params>(method);
}
