// Types of scripts/build-server.mjs, for the benchmarks and tests written in TypeScript.
export declare const SERVER_BUNDLE: string;
export declare const SERVER_NODE_FLAGS: string[];
export declare function serverEnv(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
export declare function buildServer(options?: { force?: boolean; outfile?: string; log?: (line: string) => void }): Promise<string>;
