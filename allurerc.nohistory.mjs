import { defineConfig } from 'allure';
import { shared } from './allurerc.mjs';

// Same report without touching the history file: for test runs and shard merges checked by the suite.
export default defineConfig(shared);
