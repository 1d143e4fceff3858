export declare const RAISED_RATE_LIMITS: Readonly<Record<string, string>>;
export declare const RAISED_RATE_LIMITS_SHELL: string;
