// Errors of the synthetic bank. Each has a stable `code` that tests and callers can match on.

export class SyntheticBankOptionsError extends Error {
  readonly code = 'KQ_TESTING_INVALID_OPTIONS';
  override readonly name = 'SyntheticBankOptionsError';

  constructor(problems: readonly string[]) {
    super(
      `createSyntheticBank() was given invalid options: ${problems.join('; ')}. Fix these options and call it again.`,
    );
  }
}

export class UnknownSyntheticCustomerError extends Error {
  readonly code = 'KQ_TESTING_UNKNOWN_CUSTOMER';
  override readonly name = 'UnknownSyntheticCustomerError';

  constructor(reference: string, customerCount: number) {
    const range =
      customerCount === 0
        ? 'it has no customers'
        : `it has ${customerCount} customers, indexed 0 to ${customerCount - 1} with ids C000000001 onwards`;
    super(
      `The synthetic bank has no customer ${reference}: ${range}. ` +
        'Pass an index in that range or a customer this bank generated.',
    );
  }
}
