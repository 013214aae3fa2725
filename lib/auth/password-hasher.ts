import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';

/** Password hashing port; callers pass NFC-normalised passwords of at most 72 bytes. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /** Spends the same time as a real verify, for usernames that do not exist. */
  verifyAgainstDummy(password: string): Promise<void>;
}

export class BcryptPasswordHasher implements PasswordHasher {
  // A real hash at the configured cost, started when the container starts: bcryptjs returns at
  // once against a malformed hash, which would tell an attacker which usernames exist.
  private readonly dummyHash: Promise<string>;

  constructor(private readonly cost: number) {
    this.dummyHash = bcrypt.hash(randomBytes(16).toString('base64'), cost);
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.cost);
  }

  verify(password: string, hash: string): Promise<boolean> {
    return bcrypt.compare(password, hash);
  }

  async verifyAgainstDummy(password: string): Promise<void> {
    await bcrypt.compare(password, await this.dummyHash);
  }
}
