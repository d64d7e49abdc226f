export const name = 'screen';
