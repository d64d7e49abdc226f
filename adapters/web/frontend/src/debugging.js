export const name = 'debugging';
