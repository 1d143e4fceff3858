export declare const API_NODE_FLAGS: readonly string[];
export declare function missingNodeFlags(execArgv?: readonly string[]): string[];
export declare function apiNodeArgs(script: string, extra?: readonly string[]): string[];
export declare const TRACING_PRELOAD: string;
