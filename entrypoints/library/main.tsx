import { render } from 'preact';
import { LibraryApp } from '../../components/librarypage/LibraryApp';
import '../../components/theme.css';

render(<LibraryApp />, document.getElementById('app')!);
