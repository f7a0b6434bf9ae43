/**
 * Set before any handler module loads (their loggers are made at import):
 * the cost bench counts the log volume a Lambda writes at its default level.
 */
process.env.DEMARCHE_LOG_LEVEL ??= 'INFO';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
