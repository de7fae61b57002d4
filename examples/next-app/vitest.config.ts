import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'next-app',
    include: ['lib/**/*.test.ts', 'readme.test.ts'],
    environment: 'node',
  },
})
