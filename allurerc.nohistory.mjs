import { defineConfig } from 'allure';

// Same report without touching the history file: for test runs and shard merges checked by the suite.
export default defineConfig({
  name: 'Vanishing gradients: verdicts on the document\'s claims',
  output: './reports/allure-report',
  plugins: { awesome: { options: { singleFile: true, reportName: 'Vanishing gradients: claims', reportLanguage: 'en', groupBy: ['epic', 'feature', 'story'] } } },
});
