import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['.output/', '.wxt/', 'node_modules/', 'test-results/', 'test-results-firefox/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['components/**', 'entrypoints/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[property.name='outerHTML'][parent.type='AssignmentExpression']", message: 'Do not assign outerHTML.' },
      ],
    },
  },
  {
    // web-ext lint warns store reviewers about these in the Firefox build (issue 11):
    // parse into an inert document with parseInert (lib/html/text.ts) or build the DOM.
    files: ['lib/**', 'components/**', 'entrypoints/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[property.name='outerHTML'][parent.type='AssignmentExpression']", message: 'Do not assign outerHTML.' },
        { selector: "AssignmentExpression > MemberExpression.left[property.name='innerHTML']", message: 'web-ext lint flags innerHTML assignments: use parseInert (lib/html/text.ts) or build the DOM.' },
        { selector: "CallExpression[callee.property.name=/^(insertAdjacentHTML|createContextualFragment)$/]", message: 'web-ext lint flags this: use parseInert (lib/html/text.ts) or build the DOM.' },
      ],
    },
  },
  {
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
