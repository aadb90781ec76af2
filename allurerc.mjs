import { defineConfig } from 'allure';

// Allure Report 3: one self-contained HTML file (opens from file://), history carried in a JSONL file.
export default defineConfig({
  name: 'Vanishing gradients: verdicts on the document\'s claims',
  output: './reports/allure-report',
  historyPath: './reports/history/history.jsonl',
  historyLimit: 50,
  plugins: {
    awesome: {
      options: { singleFile: true, reportName: 'Vanishing gradients: claims', reportLanguage: 'en', groupBy: ['epic', 'feature', 'story'] },
    },
  },
});
