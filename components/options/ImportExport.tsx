import { DuplicatesPanel } from './DuplicatesPanel';
import { ExportPanel } from './ExportPanel';
import { ImportPanel } from './ImportPanel';
import { FullTextPanel } from '../fulltext/FullTextPanel';
import './io.css';

/** Import and export on the options page (issue #7). */
export function ImportExport() {
  return (
    <>
      <ImportPanel />
      <FullTextPanel />
      <ExportPanel />
      <DuplicatesPanel />
    </>
  );
}
