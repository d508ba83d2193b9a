import js from "@eslint/js";
import globals from "globals";
import regexp from "eslint-plugin-regexp";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      "**/.astro/**",
      "**/*.astro",
      "**/.turbo/**",
      // What the build makes: the publish output and the built site before its downloads are added.
      "apps/site/.publish/**",
      "apps/site/.site/**",
      // A separate, bare Astro project: the publish benchmark's baseline.
      "apps/site/bench/baseline/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  regexp.configs["flat/recommended"],
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: { allowDefaultProject: ["*.js", "*.mjs", "*.ts"] } },
    },
    rules: {
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      // `_name` marks a value left out on purpose (`const { body: _body, ...rest } = document`).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Keep the indicator core pure: no Node built-ins, no other @atrc package.
    files: ["packages/ioc/src/**"],
    rules: { "no-restricted-imports": ["error", { patterns: ["node:*", "@atrc/*"] }] },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
);
