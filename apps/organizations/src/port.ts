const DEFAULT_PORT = 3000;
const MAX_PORT = 65_535;

export function readPort(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT;

  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > MAX_PORT) {
    throw new Error(
      `PORT must be an integer from 0 to ${MAX_PORT}, got "${value}"`,
    );
  }
  return port;
}
