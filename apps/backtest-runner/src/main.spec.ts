describe('main', () => {
  const argv = process.argv;
  afterEach(() => {
    process.argv = argv;
    process.exitCode = undefined;
    jest.restoreAllMocks();
  });

  it('runs the CLI with process.argv and sets the exit code', async () => {
    let written = '';
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written += chunk.toString();
      return true;
    });
    process.argv = ['node', 'backtest', 'list-strategies'];
    jest.isolateModules(() => {
      require('./main');
    });
    for (let i = 0; i < 50 && process.exitCode === undefined; i++)
      await new Promise((r) => setImmediate(r));
    expect(process.exitCode).toBe(0);
    expect(written).toContain('sma-cross\n');
    expect(written).toContain('liquidity-sweep\n');
  });

  it('sets exit code 1 on errors', async () => {
    let errors = '';
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      errors += chunk.toString();
      return true;
    });
    process.argv = ['node', 'backtest', 'report', '/nonexistent-backtest-dir'];
    jest.isolateModules(() => {
      require('./main');
    });
    for (let i = 0; i < 50 && process.exitCode === undefined; i++)
      await new Promise((r) => setImmediate(r));
    expect(process.exitCode).toBe(1);
    expect(errors).toBe(
      'error: report: /nonexistent-backtest-dir/result.json does not exist (run a backtest with --out /nonexistent-backtest-dir first)\n',
    );
  });
});
