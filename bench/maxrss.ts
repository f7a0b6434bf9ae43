/** Loaded with --import into a measured process: reports its peak RSS on stderr as it exits. */
process.on('exit', () => {
  process.stderr.write(`\nMAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
});
