export const name = 'coding';
