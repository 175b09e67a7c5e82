/**
 * Server cleanups: an admin asks the Server aggregate for one ({@link com.gpudash.api.cleanup.RequestServerCleanup}),
 * which allows one at a time per server; a saga hands it to a worker ({@link com.gpudash.api.cleanup.CleanServer}),
 * which prunes the server's Docker Engine and reports what went
 * ({@link com.gpudash.api.cleanup.RecordServerCleanupResult}) or why it could not
 * ({@link com.gpudash.api.cleanup.FailServerCleanup}).
 */
package com.gpudash.api.cleanup;
