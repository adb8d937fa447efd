// WeCom's global error codes (全局错误码) as the channel treats them.

/** The access token is invalid (40014) or expired (42001): fetch a new one and try once more. */
export const tokenErrcodes: ReadonlySet<number> = new Set([40014, 42001]);

/** System busy (-1), API rate limit (45009) and concurrency limit (45033): try again later. */
export const retryableErrcodes: ReadonlySet<number> = new Set([-1, 45009, 45033]);

/**
 * Retrying cannot help: invalid userid (40003), invalid external userid (40096), invalid parameter
 * (40058), missing access_token (41001), API not permitted for this app (48002).
 */
export const permanentErrcodes: ReadonlySet<number> = new Set([40003, 40058, 40096, 41001, 48002]);
