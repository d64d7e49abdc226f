export const name = 'forms';
